"""Typst layout of a product (data in through ``sys.inputs``, never as markup)."""
