"""Interview scripts: the typed model, the YAML loader with line-numbered problems, the shipped catalog."""
