-- Rendered by `cloudkart render` from layout.yml (layout cloudkart-12, host shipping-db). Do not edit.
-- Run as root on this host (unix socket): `mysql < users.sql`. Safe to run again.
CREATE DATABASE IF NOT EXISTS cities CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'shipping'@'172.31.30.72' IDENTIFIED BY 'test-mysql_shipping';
ALTER USER 'shipping'@'172.31.30.72' IDENTIFIED BY 'test-mysql_shipping';
-- Only the cities database, only from the shipping host; the import needs to build and swap tables.
GRANT SELECT, INSERT, CREATE, DROP, ALTER, INDEX ON cities.* TO 'shipping'@'172.31.30.72';
