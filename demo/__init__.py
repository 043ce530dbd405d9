"""Demo data for every app. It lives in ratings, the app that may import all the others."""
