"""Views: pages. Parse the request, call a selector or a service, render.

May import every layer below them; no queryset of their own.
"""
