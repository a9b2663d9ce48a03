"""The outbox and the e-mail choices of meetings move here: every row kept
(its kind prefixed with "meetings.", the records it was about in `params`),
each choice to switch a notice off kept as a preference."""

from django.conf import settings
from django.db import migrations

NOTICES = ("agenda_approved", "minutes_circulated", "agreement_due", "agreement_overdue")


def move(apps, schema_editor):
    Old = apps.get_model("meetings", "Notification")
    OldSettings = apps.get_model("meetings", "NotificationSettings")
    Notification = apps.get_model("notifications", "Notification")
    Preference = apps.get_model("notifications", "Preference")
    rows = []
    for old in Old.objects.select_related("user").order_by("pk"):
        params = {
            name: getattr(old, f"{name}_id")
            for name in ("event", "minutes", "agreement")
            if getattr(old, f"{name}_id")
        }
        rows.append(
            Notification(
                kind=f"meetings.{old.kind}",
                key=old.key,
                email=old.user.email,
                language=settings.LANGUAGE_CODE,
                user_id=old.user_id,
                params=params,
                created_at=old.created_at,
                sent_at=old.sent_at,
                claimed_at=old.claimed_at,
                attempts=old.attempts,
                last_error=old.last_error,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    Preference.objects.bulk_create(
        [
            Preference(user_id=choice.user_id, kind=f"meetings.{name}", enabled=False)
            for choice in OldSettings.objects.all()
            for name in NOTICES
            if not getattr(choice, name)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("meetings", "0003_agreement_responsible_party"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
