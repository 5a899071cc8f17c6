"""PostgreSQL refuses any UPDATE or DELETE of an issued letter: the stored PDF, its
data and its checksum stay exactly as issued (the model refuses the same in Python)."""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION letters_letter_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'letters_letter rows are immutable (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER letters_letter_immutable_row BEFORE UPDATE OR DELETE ON letters_letter
  FOR EACH ROW EXECUTE FUNCTION letters_letter_immutable();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS letters_letter_immutable_row ON letters_letter;
DROP FUNCTION IF EXISTS letters_letter_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
