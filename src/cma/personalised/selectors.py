"""Reads for Personalised Services; each passes the one door for its customer."""
