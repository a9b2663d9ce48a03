"""Every write of the meetings module, one module per area (as the views
and forms are): events and convocation, agenda, attendance and quorum,
country reports, decisions and votes, minutes, agreements and their
follow-up, calendar feeds.

Each action follows the one contract (`coalicion.core.actions`, STYLE rule
12): keyword-only, the acting user as `actor=`, the whole business step in
its own transaction (files included), what it changes kept by
django-simple-history, audit events and e-mails queued on commit; it never
sees a request. Permission checks are the views' (and the API's) job; the
rules that hold whoever writes — quorum before decisions, frozen minutes,
one vote per present country — are enforced here.
"""
