"""Date formats of the interface languages (FORMAT_MODULE_PATH), where Django's
own do not suit: English dates are written day, month name, year ("4 May
1959"), never in the US numeric order, which reads as 5 April to most of the
region (ADR 0041). Spanish keeps Django's formats (04/05/1959, day first)."""
