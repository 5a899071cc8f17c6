"""PostgreSQL refuses UPDATE/DELETE/TRUNCATE of audit rows, except the sealer's one
change: seq, prev_hash and hash going from empty to a value."""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND NEW.id = OLD.id AND NEW.created_at = OLD.created_at
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NEW.actor_label = OLD.actor_label AND NEW.action = OLD.action
     AND NEW.outcome = OLD.outcome AND NEW.object_type = OLD.object_type
     AND NEW.object_id = OLD.object_id
     AND NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id
     AND NEW.reason = OLD.reason AND NEW.changes = OLD.changes THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_auditrecord is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only_row BEFORE UPDATE OR DELETE ON audit_auditrecord
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit_auditrecord
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS audit_append_only_row ON audit_auditrecord;
DROP TRIGGER IF EXISTS audit_append_only_truncate ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
