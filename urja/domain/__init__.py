"""Domain core: plain Python, no Django import. Deterministic and exact; reused by the bulk engine
and mirrored by the field app's JavaScript."""
