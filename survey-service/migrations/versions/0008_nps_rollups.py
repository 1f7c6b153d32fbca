"""NPS rollups: answers counted per survey, UTC day and category, also per tag and segment

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27

The NPS endpoints read these counts instead of the responses (10 million answers of one
survey are 2,190 rows: 730 days by 3 categories here). Triggers keep them equal to the aggregate of
`responses` joined with the contact copy's tags and the segment memberships, in the same
transaction as every change of any of the three tables: a new or edited answer, a merge
(answers move to the survivor, the duplicate's copy and memberships go), an erasure (copy
and memberships go) and tag or membership changes.

The per-survey counts only depend on the answer row itself, so their trigger is deferred to
the commit: the hot row of a survey's day is locked for the commit alone, not for the rest
of the answer's transaction. The tag and segment counts read the copy and memberships,
which must be seen as they are when the row changes, so those triggers fire at once.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = """
CREATE TABLE nps_daily (
    survey_id uuid NOT NULL,
    day date NOT NULL,
    category varchar(10) NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT pk_nps_daily PRIMARY KEY (survey_id, day, category)
);
CREATE TABLE nps_daily_by_tag (
    tag varchar(50) NOT NULL,
    survey_id uuid NOT NULL,
    day date NOT NULL,
    category varchar(10) NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT pk_nps_daily_by_tag PRIMARY KEY (tag, survey_id, day, category)
);
CREATE TABLE nps_daily_by_segment (
    segment_id uuid NOT NULL,
    survey_id uuid NOT NULL,
    day date NOT NULL,
    category varchar(10) NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT pk_nps_daily_by_segment PRIMARY KEY (segment_id, survey_id, day, category)
);
"""

# Each function adds `sign` for every answer of one contact (or one answer) to the counts of
# the matching cells; rows are locked in key order, so concurrent writers cannot deadlock.
FUNCTIONS = """
CREATE FUNCTION nps_day(moment timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (moment AT TIME ZONE 'UTC')::date $$;

CREATE FUNCTION nps_count_answer(
    survey uuid, contact uuid, moment timestamptz, answer_category varchar, sign integer,
    per_survey boolean, per_group boolean
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF per_survey THEN
        INSERT INTO nps_daily AS d (survey_id, day, category, n)
        VALUES (survey, nps_day(moment), answer_category, sign)
        ON CONFLICT (survey_id, day, category) DO UPDATE SET n = d.n + excluded.n;
    END IF;
    IF per_group THEN
        INSERT INTO nps_daily_by_tag AS d (tag, survey_id, day, category, n)
        SELECT DISTINCT t.tag, survey, nps_day(moment), answer_category, sign
        FROM contacts c CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
        WHERE c.id = contact
        ORDER BY 1
        ON CONFLICT (tag, survey_id, day, category) DO UPDATE SET n = d.n + excluded.n;
        INSERT INTO nps_daily_by_segment AS d (segment_id, survey_id, day, category, n)
        SELECT m.segment_id, survey, nps_day(moment), answer_category, sign
        FROM segment_members m
        WHERE m.contact_id = contact AND m.member
        ORDER BY 1
        ON CONFLICT (segment_id, survey_id, day, category) DO UPDATE SET n = d.n + excluded.n;
    END IF;
END $$;

CREATE FUNCTION nps_count_response() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    per_survey boolean := TG_ARGV[0] = 'survey';
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM nps_count_answer(OLD.survey_id, OLD.contact_id, OLD.responded_at, OLD.category,
                                 -1, per_survey, NOT per_survey);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM nps_count_answer(NEW.survey_id, NEW.contact_id, NEW.responded_at, NEW.category,
                                 1, per_survey, NOT per_survey);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION nps_count_contact_answers(
    contact uuid, tag_names varchar[], segment uuid, sign integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF tag_names IS NOT NULL AND cardinality(tag_names) > 0 THEN
        INSERT INTO nps_daily_by_tag AS d (tag, survey_id, day, category, n)
        SELECT t.tag, r.survey_id, nps_day(r.responded_at), r.category, sign * count(*)
        FROM responses r CROSS JOIN (SELECT DISTINCT unnest(tag_names) AS tag) t
        WHERE r.contact_id = contact
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (tag, survey_id, day, category) DO UPDATE SET n = d.n + excluded.n;
    END IF;
    IF segment IS NOT NULL THEN
        INSERT INTO nps_daily_by_segment AS d (segment_id, survey_id, day, category, n)
        SELECT segment, r.survey_id, nps_day(r.responded_at), r.category, sign * count(*)
        FROM responses r
        WHERE r.contact_id = contact
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (segment_id, survey_id, day, category) DO UPDATE SET n = d.n + excluded.n;
    END IF;
END $$;

CREATE FUNCTION nps_count_contact() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_tags varchar[] := CASE WHEN TG_OP = 'INSERT' THEN '{}' ELSE OLD.tags END;
    new_tags varchar[] := CASE WHEN TG_OP = 'DELETE' THEN '{}' ELSE NEW.tags END;
BEGIN
    PERFORM nps_count_contact_answers(
        CASE WHEN TG_OP = 'INSERT' THEN NEW.id ELSE OLD.id END,
        ARRAY(SELECT unnest(old_tags) EXCEPT SELECT unnest(new_tags)), NULL, -1);
    PERFORM nps_count_contact_answers(
        CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
        ARRAY(SELECT unnest(new_tags) EXCEPT SELECT unnest(old_tags)), NULL, 1);
    RETURN NULL;
END $$;

CREATE FUNCTION nps_count_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.member THEN
        PERFORM nps_count_contact_answers(OLD.contact_id, NULL, OLD.segment_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.member THEN
        PERFORM nps_count_contact_answers(NEW.contact_id, NULL, NEW.segment_id, 1);
    END IF;
    RETURN NULL;
END $$;

-- Recounts every rollup from the tables (the migration's backfill, and after a bulk load
-- that ran with the triggers disabled).
CREATE FUNCTION nps_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM nps_daily;
    DELETE FROM nps_daily_by_tag;
    DELETE FROM nps_daily_by_segment;
    INSERT INTO nps_daily (survey_id, day, category, n)
    SELECT survey_id, nps_day(responded_at), category, count(*)
    FROM responses GROUP BY 1, 2, 3;
    INSERT INTO nps_daily_by_tag (tag, survey_id, day, category, n)
    SELECT t.tag, r.survey_id, nps_day(r.responded_at), r.category, count(*)
    FROM responses r JOIN contacts c ON c.id = r.contact_id
    CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.tags) AS tag) t
    GROUP BY 1, 2, 3, 4;
    INSERT INTO nps_daily_by_segment (segment_id, survey_id, day, category, n)
    SELECT m.segment_id, r.survey_id, nps_day(r.responded_at), r.category, count(*)
    FROM responses r JOIN segment_members m ON m.contact_id = r.contact_id AND m.member
    GROUP BY 1, 2, 3, 4;
END $$;
"""

TRIGGERS = """
CREATE CONSTRAINT TRIGGER nps_count_response_inserted AFTER INSERT ON responses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION nps_count_response('survey');
CREATE CONSTRAINT TRIGGER nps_count_response_changed AFTER UPDATE ON responses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN ((OLD.survey_id, OLD.responded_at, OLD.category)
          IS DISTINCT FROM (NEW.survey_id, NEW.responded_at, NEW.category))
    EXECUTE FUNCTION nps_count_response('survey');
CREATE CONSTRAINT TRIGGER nps_count_response_deleted AFTER DELETE ON responses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION nps_count_response('survey');

CREATE TRIGGER nps_count_response_groups_inserted AFTER INSERT ON responses
    FOR EACH ROW EXECUTE FUNCTION nps_count_response('groups');
CREATE TRIGGER nps_count_response_groups_changed AFTER UPDATE ON responses
    FOR EACH ROW
    WHEN ((OLD.survey_id, OLD.contact_id, OLD.responded_at, OLD.category)
          IS DISTINCT FROM (NEW.survey_id, NEW.contact_id, NEW.responded_at, NEW.category))
    EXECUTE FUNCTION nps_count_response('groups');
CREATE TRIGGER nps_count_response_groups_deleted AFTER DELETE ON responses
    FOR EACH ROW EXECUTE FUNCTION nps_count_response('groups');

CREATE TRIGGER nps_count_contact_inserted AFTER INSERT ON contacts
    FOR EACH ROW EXECUTE FUNCTION nps_count_contact();
CREATE TRIGGER nps_count_contact_changed AFTER UPDATE ON contacts
    FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags)
    EXECUTE FUNCTION nps_count_contact();
CREATE TRIGGER nps_count_contact_deleted AFTER DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION nps_count_contact();

CREATE TRIGGER nps_count_membership_inserted AFTER INSERT ON segment_members
    FOR EACH ROW EXECUTE FUNCTION nps_count_membership();
CREATE TRIGGER nps_count_membership_changed AFTER UPDATE ON segment_members
    FOR EACH ROW
    WHEN ((OLD.segment_id, OLD.contact_id, OLD.member)
          IS DISTINCT FROM (NEW.segment_id, NEW.contact_id, NEW.member))
    EXECUTE FUNCTION nps_count_membership();
CREATE TRIGGER nps_count_membership_deleted AFTER DELETE ON segment_members
    FOR EACH ROW EXECUTE FUNCTION nps_count_membership();
"""

DROP = """
DROP TRIGGER nps_count_membership_deleted ON segment_members;
DROP TRIGGER nps_count_membership_changed ON segment_members;
DROP TRIGGER nps_count_membership_inserted ON segment_members;
DROP TRIGGER nps_count_contact_deleted ON contacts;
DROP TRIGGER nps_count_contact_changed ON contacts;
DROP TRIGGER nps_count_contact_inserted ON contacts;
DROP TRIGGER nps_count_response_groups_deleted ON responses;
DROP TRIGGER nps_count_response_groups_changed ON responses;
DROP TRIGGER nps_count_response_groups_inserted ON responses;
DROP TRIGGER nps_count_response_deleted ON responses;
DROP TRIGGER nps_count_response_changed ON responses;
DROP TRIGGER nps_count_response_inserted ON responses;
DROP FUNCTION nps_rollups_rebuild();
DROP FUNCTION nps_count_membership();
DROP FUNCTION nps_count_contact();
DROP FUNCTION nps_count_contact_answers(uuid, varchar[], uuid, integer);
DROP FUNCTION nps_count_response();
DROP FUNCTION nps_count_answer(uuid, uuid, timestamptz, varchar, integer, boolean, boolean);
DROP FUNCTION nps_day(timestamptz);
DROP TABLE nps_daily_by_segment;
DROP TABLE nps_daily_by_tag;
DROP TABLE nps_daily;
"""


def _execute(script: str) -> None:
    """One statement at a time (the driver prepares each); a `;` inside a $$-quoted
    function body does not end a statement."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if line.rstrip().endswith(";") and statement.count("$$") % 2 == 0:
            op.execute(statement)
            statement = ""


def upgrade() -> None:
    for script in (TABLES, FUNCTIONS, TRIGGERS):
        _execute(script)
    op.execute("SELECT nps_rollups_rebuild()")


def downgrade() -> None:
    _execute(DROP)
