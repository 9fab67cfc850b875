"""Services: every write (and the mail it sends), in a transaction with its history.

May import models, rules, words, files, policy and selectors; never forms, outputs or views.
"""
