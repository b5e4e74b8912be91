"""Rules and the transaction boundary; no HTTP or event shapes. Collaborators are parameters."""
