"""The interview: the engine that walks a script, its screens, the coach and the record it produces."""
