"""The JSON Schemas of qingdan data files, shipped inside the package as generator.schemas."""
