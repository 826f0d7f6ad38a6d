"""The demo city 临江市 that ``make run`` shows: its units and accounts, places, inspections and hazards,
accidents, risk assessments and city risk ranking, built through the public services and models of every app
above (``manage.py seed_demo``). Nothing the product runs imports it."""
