"""Data-quality rules (Audit Commission dimensions) and the validation report."""
