"""Agreements take the shape of every responsible party (plans.parties):
`responsible_kind` becomes `kind`, kept row by row."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_stale_edits"),
        ("membership", "0004_languages"),
        ("plans", "0002_responsible_party_shape"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="agreement", name="agreement_has_one_responsible"),
        migrations.RenameField(model_name="agreement", old_name="responsible_kind", new_name="kind"),
        migrations.RenameField(
            model_name="historicalagreement", old_name="responsible_kind", new_name="kind"
        ),
            migrations.AlterField(
            model_name='agreement',
            name='committee',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)s_parties', to='plans.workingcommittee', verbose_name='working committee'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='country',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)s_parties', to='membership.country', verbose_name='country'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='kind',
            field=models.CharField(choices=[('coalition', 'The Regional Coalition'), ('organ', 'Organ of the Coalition'), ('national_bodies', 'The national bodies of the member countries'), ('national_body', 'National body of a country'), ('country', 'Member country'), ('committee', 'Working committee')], max_length=20, verbose_name='responsible'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='organ',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)s_parties', to='membership.organ', verbose_name='organ'),
        ),
        migrations.AlterField(
            model_name='historicalagreement',
            name='kind',
            field=models.CharField(choices=[('coalition', 'The Regional Coalition'), ('organ', 'Organ of the Coalition'), ('national_bodies', 'The national bodies of the member countries'), ('national_body', 'National body of a country'), ('country', 'Member country'), ('committee', 'Working committee')], max_length=20, verbose_name='responsible'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'organ'), ('committee__isnull', True), ('country__isnull', True), ('organ__isnull', False)), models.Q(('kind', 'country'), ('committee__isnull', True), ('country__isnull', False), ('organ__isnull', True)), models.Q(('kind', 'committee'), ('committee__isnull', False), ('country__isnull', True), ('organ__isnull', True)), _connector='OR'), name='agreement_has_one_responsible'),
        ),
    
    ]
