"""Event monitoring: GDELT 2.0 event exports to Parquet, queried with DuckDB (Spark for the
full archive); per state and month, CAMEO roots that matter to diplomacy.
"""
