"""Statistics' entry in the site's menu (`coalicion.core.navigation`): the
protected figures are public."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_area, add_entry

add_entry("main", key="statistics", order=75, label=_("Statistics"), url_name="statistics:index")
add_area("statistics", stylesheets=["css/statistics.css"])
