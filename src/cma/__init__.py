"""CMA Workbench."""
