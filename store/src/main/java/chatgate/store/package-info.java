/** chatgate store adapter (JDBI, Flyway; SQLite and PostgreSQL). */
package chatgate.store;
