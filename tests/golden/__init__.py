"""Golden trees: small fixture specs and the exact packages routegen generates from them."""
