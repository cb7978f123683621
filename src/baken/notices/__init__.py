"""Notices (mededelingen): marked messages to colleagues, shown on the start page.

The smallest complete module, and the pattern for the others: tables, shapes, one
service layer through the policy, routes, templates and the plugin hooks.
"""
