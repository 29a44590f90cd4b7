"""Attention: what people follow, and the notifications that tell them something happened."""
