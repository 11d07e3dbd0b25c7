-- Reasons the software writes into the status history are stored as codes and translated
-- where they are shown (the window, the CLI); what a clerk typed stays in `reason`. Rows
-- written before this in English get their codes, so they read in every language too.
ALTER TABLE status_history ADD COLUMN reason_code TEXT;

UPDATE status_history SET reason_code = 'created', reason = '' WHERE from_status IS NULL AND reason = 'created';
UPDATE status_history SET reason_code = 'contract_signed', reason = '' WHERE reason = 'contract signed';
UPDATE status_history SET reason_code = 'contract_registered', reason = '' WHERE reason = 'contract registered';
UPDATE status_history SET reason_code = 'certificate_revoked', reason = '' WHERE reason = 'certificate revoked';
UPDATE status_history SET reason_code = 'enrolled', reason = '' WHERE reason = 'enrolled' AND to_status = 'in_training';
UPDATE status_history SET reason_code = 'certified', reason = '' WHERE reason = 'certified' AND to_status = 'certified';
UPDATE status_history SET reason_code = 'departed', reason = substr(reason, 10)
    WHERE to_status = 'departed' AND reason GLOB 'departed [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]';
UPDATE status_history SET reason_code = reason, reason = ''
    WHERE to_status = 'returned' AND reason IN ('contract_completed', 'early_return', 'deported', 'other');
UPDATE status_history SET reason_code = 'archived', reason = ''
    WHERE from_status = to_status AND reason = 'archived';
UPDATE status_history SET reason_code = 'archived', reason = substr(reason, 11)
    WHERE from_status = to_status AND reason LIKE 'archived: %';
UPDATE status_history SET reason_code = 'restored', reason = ''
    WHERE from_status = to_status AND reason = 'restored';
UPDATE status_history SET reason_code = 'restored', reason = substr(reason, 11)
    WHERE from_status = to_status AND reason LIKE 'restored: %';
