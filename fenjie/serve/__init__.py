"""`fenjie serve`: review and correct converted notices in the browser, and a JSON API for other systems.

store (SQLite: the original extraction, the changes made to it) · worker (conversions in child processes)
· edits (changes -> the corrected notice) · view (what the review page shows) · guard (token, session,
CSRF, limits) · service (upload, convert, store, download) · api (/api/v1) · pages · app (wires them).
Depends downward only: pipeline, model, normalize, render.
"""
