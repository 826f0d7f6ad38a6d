from django.urls import path  # noqa: F401

app_name = "accidents"

urlpatterns: list = [
    # Accidents, corrections, investigations (views/records.py, views/investigations.py)
    # Statistics, briefings, statistics workbook (views/statistics.py)
    # Import of historical accidents (views/imports.py)
]
