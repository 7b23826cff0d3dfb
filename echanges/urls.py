"""The exchange's addresses under /echanges/."""

urlpatterns = []
