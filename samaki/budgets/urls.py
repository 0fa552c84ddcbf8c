
app_name = "budgets"
urlpatterns: list = []
