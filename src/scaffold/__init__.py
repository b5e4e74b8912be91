"""`make new-function`: a new function of the stack, rendered from the folders in templates/.

Local tooling only; never shipped. The templates are real files (a package named `skeleton`,
its tests, events, migration and CloudFormation stack) rendered by plain substitution; ruff,
mypy and pytest skip the folder and check what it renders instead (tests/scaffold).
"""
