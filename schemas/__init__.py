"""The contract's Table Schemas, installed with the package as perfsite.schemas."""
