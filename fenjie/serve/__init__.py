"""`fenjie serve`: review and correct converted notices in the browser, and a JSON API for other systems.

store (SQLite: the original extraction, the changes made to it) · worker (conversions in child processes)
· edits (changes -> the corrected `Document`) · app (FastAPI: API and pages).
Depends downward only: pipeline, model, normalize, render.
"""
