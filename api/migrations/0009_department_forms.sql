-- Department forms: the extra fields an admin gives a department, and each
-- ticket's answers to them.

-- One field of a department's form. `definition` is the field as JSON
-- (kind, required, pattern, label and hint per language, choices: see
-- shared::forms::FormField): it is read and written whole, never queried by
-- its parts.
CREATE TABLE department_fields (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    definition    TEXT NOT NULL
);
CREATE INDEX department_fields_department ON department_fields(department_id, position);

-- A ticket's answers, with the field's label (and a choice's label) in every
-- language as worded when the ticket was opened: an answer outlives later
-- edits to its field and the field's removal. `field_id` has no foreign key
-- for that reason. `label` and `shown` are JSON lists of [lang, text];
-- `shown` is NULL when the value is shown as it is.
CREATE TABLE ticket_fields (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    field_id  INTEGER,
    label     TEXT NOT NULL,
    value     TEXT NOT NULL,
    shown     TEXT,
    PRIMARY KEY (ticket_id, position)
) WITHOUT ROWID;

INSERT INTO department_fields (department_id, position, definition)
SELECT id, 1, '{"kind":"text","required":true,"pattern":"digits",'
    || '"label":[["en","Transaction number"],["fa","شماره تراکنش"],["ru","Номер транзакции"]],'
    || '"hint":[["en","The number on your receipt or bank statement."],'
    || '["fa","شماره‌ای که روی رسید یا صورت‌حساب بانکی شما آمده است."],'
    || '["ru","Номер из вашей квитанции или банковской выписки."]]}'
FROM departments WHERE slug = 'financial';

INSERT INTO department_fields (department_id, position, definition)
SELECT id, 1, '{"kind":"text","required":false,'
    || '"label":[["en","Other party''s account or email"],["fa","حساب کاربری یا ایمیل طرف مقابل"],'
    || '["ru","Аккаунт или адрес электронной почты другой стороны"]],'
    || '"hint":[["en","Who the dispute is with, if you know."],'
    || '["fa","اختلاف با چه کسی است، اگر می‌دانید."],'
    || '["ru","С кем у вас спор, если вы знаете."]]}'
FROM departments WHERE slug = 'arbitration';

INSERT INTO department_fields (department_id, position, definition)
SELECT id, 1, '{"kind":"select","required":true,'
    || '"label":[["en","Document type"],["fa","نوع مدرک"],["ru","Тип документа"]],'
    || '"hint":[["en","The document your question is about."],'
    || '["fa","مدرکی که پرسش شما درباره آن است."],'
    || '["ru","Документ, о котором ваш вопрос."]],'
    || '"options":['
    || '{"key":"passport","label":[["en","Passport"],["fa","گذرنامه"],["ru","Паспорт"]]},'
    || '{"key":"national_id","label":[["en","National ID card"],["fa","کارت ملی"],["ru","Удостоверение личности"]]},'
    || '{"key":"driving_licence","label":[["en","Driving licence"],["fa","گواهینامه رانندگی"],["ru","Водительское удостоверение"]]}]}'
FROM departments WHERE slug = 'passport';
