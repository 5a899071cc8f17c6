from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "cma.customers"
    label = "customers"
    verbose_name = "Customers and cases"
