"""Ledgers (台账): one workbook per unit to fill in, and their filled-in copies collected into one report.

`write` (the `ledgers` output of `fenjie convert`) hands each unit its rows with the columns it fills in;
`collect` reads the copies units send back and gives a `Progress`, written as progress.xlsx and
progress.json by `report`. The layout both sides agree on is `layout`, its words fenjie/data/ledger.toml.
"""
