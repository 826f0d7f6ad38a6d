from django.urls import path  # noqa: F401

app_name = "risk"

urlpatterns: list = [
    # Assessments, current levels, frequency, overdue inspections (views/assessments.py)
    # Four-colour map (views/maps.py)
    # Major hazard installations and the substance catalogue (views/installations.py)
    # City safety risk assessment and ranking (views/city.py)
]
