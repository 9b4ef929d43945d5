"""cusdev core: the Customer Development domain and the interview engine (pure Python)."""
