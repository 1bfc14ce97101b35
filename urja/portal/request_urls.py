"""Portal request pages: self meter reading, complaints, applications and their tracking."""

urlpatterns: list = []
