"""The skeleton WebAPI: create, read and list items (from `make new-function`)."""
