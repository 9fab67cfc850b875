"""Forms: parse what a person types (the grid, the admin's forms and choices) into plain values.

May import models, rules, words, policy and selectors; never services or views.
"""
