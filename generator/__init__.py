"""qingdan: minor-protection responsibility lists as validated data, a graph and an offline handbook.

Pipeline: load → validate → model → graph → render → site engine. Each stage is a module with a plain function.
"""
