// An ordinary Java application on pgjdbc: it stores and reads letters as
// text (PreparedStatement.setString, executeBatch, getString) and knows
// nothing of letters_triage.  Connection from PGHOST/PGPORT/PGDATABASE/
// PGUSER/PGPASSWORD (TCP), table from APP_TABLE, letters from the file named
// by its first argument (one per line: recipient, nhs_number, kind, created,
// body, tab-separated, with \n, \r, \t and \\ escaped).  Prints one line per
// statement: rows, update counts, error (SQLSTATE and message), warnings.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

public class LetterApp {
    static Connection conn;
    static String table = System.getenv("APP_TABLE");

    static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String unescape(String s) {
        if (s.equals("\\N")) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n);
            } else b.append(c);
        }
        return b.toString();
    }

    static String warnings(Statement st) throws SQLException {
        List<String> w = new ArrayList<>();
        for (SQLWarning x = st == null ? conn.getWarnings() : st.getWarnings(); x != null; x = x.getNextWarning())
            w.add(quote(x.getMessage()));
        conn.clearWarnings();
        return "[" + String.join(", ", w) + "]";
    }

    static String rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            List<String> r = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) r.add(quote(rs.getString(i)));
            out.add("[" + String.join(", ", r) + "]");
        }
        return "[" + String.join(", ", out) + "]";
    }

    // Run a statement with string parameters (setString) and print what came back.
    static void step(String name, String sql, String... params) throws SQLException {
        StringBuilder o = new StringBuilder("{\"step\": " + quote(name));
        PreparedStatement ps = null;
        try {
            ps = conn.prepareStatement(sql.replaceAll("\\bletters\\b", table));
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            boolean isRs = ps.execute();
            if (isRs) {
                try (ResultSet rs = ps.getResultSet()) { o.append(", \"rows\": ").append(rows(rs)); }
            } else o.append(", \"updates\": ").append(ps.getUpdateCount());
            o.append(", \"warnings\": ").append(warnings(ps));
        } catch (SQLException e) {
            o.append(", \"error\": [").append(quote(e.getSQLState())).append(", ")
             .append(quote(e.getMessage().split("\n")[0])).append("]");
            if (!conn.getAutoCommit()) conn.rollback();
        } finally {
            if (ps != null) ps.close();
        }
        System.out.println(o.append("}"));
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
            + System.getenv("PGDATABASE");
        conn = DriverManager.getConnection(url, System.getenv("PGUSER"), System.getenv("PGPASSWORD"));
        List<String[]> letters = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            for (int i = 0; i < f.length; i++) f[i] = unescape(f[i]);
            letters.add(f);
        }

        // executeBatch: the letters, in one batch, with setString for every column
        StringBuilder o = new StringBuilder("{\"step\": \"batch insert\"");
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + table
                + " (recipient, nhs_number, kind, created, body) VALUES (?, ?, ?, ?::timestamp, ?)")) {
            for (String[] l : letters) {
                for (int i = 0; i < 5; i++) ps.setString(i + 1, l[i]);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<String> c = new ArrayList<>();
            for (int n : counts) c.add(Integer.toString(n));
            o.append(", \"updates\": [").append(String.join(", ", c)).append("], \"warnings\": ").append(warnings(ps));
        } catch (SQLException e) {
            o.append(", \"error\": [").append(quote(e.getSQLState())).append(", ").append(quote(e.getMessage().split("\n")[0])).append("]");
        }
        System.out.println(o.append("}"));

        step("select all", "SELECT id, recipient, nhs_number, kind, created, sent, body FROM letters ORDER BY id");
        step("equal", "SELECT id FROM letters WHERE body = ? ORDER BY id", letters.get(1)[4]);
        step("equal 2", "SELECT id, body FROM letters WHERE body = ? OR body = ? ORDER BY id", letters.get(3)[4], letters.get(6)[4]);
        step("like", "SELECT id FROM letters WHERE body LIKE ? ORDER BY id", "%Kind%");
        step("ilike", "SELECT id FROM letters WHERE body ILIKE ? ORDER BY id", "%URGENT%");
        step("regex", "SELECT id FROM letters WHERE body ~ ? ORDER BY id", "^[A-Z][a-z]+:");
        step("functions", "SELECT id, length(body), lower(body), left(body, ?::int), position(? in body), body || ? FROM letters ORDER BY id",
             "7", "review", "|end");
        step("full text", "SELECT id FROM letters WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', ?) ORDER BY id", "clinic");
        step("order by body", "SELECT id FROM letters ORDER BY body, id");
        step("insert returning", "INSERT INTO letters (recipient, created, body) VALUES (?, ?::timestamp, ?) RETURNING id, body",
             "G82001", "2026-11-30 10:00:00", "To: G82001\r\nsubject:   java\r\n\r\nsent with setString");
        step("update", "UPDATE letters SET body = body || ? WHERE id = ?::int", "\nP.S. from Java", "3");
        step("update sent", "UPDATE letters SET sent = ?::timestamp WHERE id <= ?::int", "2026-11-30 12:00:00", "4");
        step("update by body", "UPDATE letters SET kind = ? WHERE body = ?", "other", letters.get(9)[4]);
        step("delete", "DELETE FROM letters WHERE body = ?", letters.get(5)[4]);
        step("not null", "INSERT INTO letters (recipient, created, body) VALUES (?, ?::timestamp, ?)", "G82001", "2026-11-30 10:00:00", null);
        step("bad parameter", "SELECT id FROM letters WHERE id = ?::int", "not a number");
        step("notice", "DROP TABLE IF EXISTS no_such_table_here");

        conn.setAutoCommit(false);
        step("tx insert", "INSERT INTO letters (recipient, created, body) VALUES (?, ?::timestamp, ?)", "G82001", "2026-11-30 10:05:00", "rolled back");
        conn.rollback();
        step("tx insert 2", "INSERT INTO letters (recipient, created, body) VALUES (?, ?::timestamp, ?)", "G82001", "2026-11-30 10:06:00", "committed");
        conn.commit();
        conn.setAutoCommit(true);
        step("select final", "SELECT id, recipient, nhs_number, kind, created, sent, body FROM letters ORDER BY id");
        conn.close();
    }
}
