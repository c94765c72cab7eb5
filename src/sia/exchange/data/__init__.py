"""Data tables of the exchange: the names the spreadsheets in circulation give SIA's sheets and columns."""
