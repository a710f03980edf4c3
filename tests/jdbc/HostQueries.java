// JDBC as a host (the xerial sqlite-jdbc driver behind DBeaver, DataGrip and Metabase):
// enables extension loading on the connection, loads the extension with SELECT
// load_extension(?), runs tests/host_queries.py's set-up and queries and prints one JSON line
// per query ({"name", "rows"} or {"name", "error"}) for host_queries.py check.
//   java -cp sqlite-jdbc.jar:. HostQueries EXTENSION SETUP.sql QUERIES.tsv
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;

public final class HostQueries {
  public static void main(String[] args) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.enableLoadExtension(true);
    try (Connection conn = config.createConnection("jdbc:sqlite::memory:")) {
      System.err.println("sqlite-jdbc " + conn.getMetaData().getDriverVersion());
      try (PreparedStatement load = conn.prepareStatement("SELECT load_extension(?)")) {
        load.setString(1, args[0]);
        load.executeQuery().close();
      }
      try (Statement setup = conn.createStatement()) {
        for (String sql : lines(args[1])) setup.executeUpdate(sql);
      }
      for (String line : lines(args[2])) {
        int tab = line.indexOf('\t');
        System.out.println(answer(conn, line.substring(0, tab), line.substring(tab + 1)));
      }
    }
  }

  private static List<String> lines(String file) throws Exception {
    List<String> all = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
    all.removeIf(String::isEmpty);
    return all;
  }

  private static String answer(Connection conn, String name, String sql) {
    StringBuilder out = new StringBuilder("{\"name\": ").append(quote(name));
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      out.append(", \"rows\": [");
      for (int row = 0; rs.next(); row++) {
        out.append(row == 0 ? "[" : ", [");
        for (int c = 1; c <= columns; c++) {
          if (c > 1) out.append(", ");
          out.append(json(rs.getObject(c)));
        }
        out.append(']');
      }
      out.append("]}");
    } catch (SQLException e) {
      out.setLength(0);
      out.append("{\"name\": ").append(quote(name)).append(", \"error\": ")
          .append(quote(e.getMessage())).append('}');
    }
    return out.toString();
  }

  private static String json(Object value) {
    if (value == null) return "null";
    if (value instanceof Number) return value.toString();
    return quote(value.toString());
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      if (ch == '"' || ch == '\\') out.append('\\').append(ch);
      else if (ch < 0x20) out.append(String.format("\\u%04x", (int) ch));
      else out.append(ch);
    }
    return out.append('"').toString();
  }
}
