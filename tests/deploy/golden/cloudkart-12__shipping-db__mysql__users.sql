-- Rendered by `cloudkart render` from layout.yml (layout cloudkart-12, host shipping-db). Do not edit.
-- Run as root on this host (unix socket): `mysql < users.sql`. Safe to run again.
CREATE DATABASE IF NOT EXISTS cities CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'shipping'@'172.31.30.72' IDENTIFIED BY 'test-mysql_shipping';
ALTER USER 'shipping'@'172.31.30.72' IDENTIFIED BY 'test-mysql_shipping';
-- The service only reads cities: SELECT on the cities database, only from the shipping host.
-- (The city import runs on this host with a user of its own.) The REVOKE makes re-running this
-- file take back anything granted before; it needs the grant row the GRANT just made.
GRANT SELECT ON cities.* TO 'shipping'@'172.31.30.72';
REVOKE INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, CREATE VIEW, TRIGGER, EXECUTE
    ON cities.* FROM 'shipping'@'172.31.30.72';
