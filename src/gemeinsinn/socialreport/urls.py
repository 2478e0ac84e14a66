from django.urls import path

app_name = "socialreport"
urlpatterns: list = [
    # public: /berichte/…, staff: /verwaltung/berichte/… (added by the report views)
]
