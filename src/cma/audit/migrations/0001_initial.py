import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("actor_id", models.BigIntegerField(blank=True, null=True)),
                ("actor_label", models.CharField(blank=True, max_length=150)),
                ("action", models.CharField(db_index=True, max_length=100)),
                ("outcome", models.CharField(choices=[("ok", "Succeeded"), ("refused", "Refused")], default="ok", max_length=10)),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("customer_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                ("reason", models.TextField(blank=True)),
                ("changes", models.JSONField(blank=True, default=dict)),
                ("seq", models.BigIntegerField(blank=True, null=True, unique=True)),
                ("prev_hash", models.CharField(blank=True, max_length=64)),
                ("hash", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "indexes": [models.Index(condition=models.Q(("seq", None)), fields=["id"], name="audit_unsealed_idx")],
            },
        ),
    ]
