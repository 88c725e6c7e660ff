"""routegen: typed Python clients from one YAML route specification."""
