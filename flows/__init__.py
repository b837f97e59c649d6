"""Prefect flows that wire the newsdedup stages; no logic lives here."""
