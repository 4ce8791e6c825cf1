app_name = "incoming"

urlpatterns: list = []
