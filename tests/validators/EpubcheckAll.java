// epubcheck on many books in one Java process (its own command line takes one book at a time).
public class EpubcheckAll {
    public static void main(String[] books) {
        int failed = 0;
        for (String book : books) {
            int code = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {book, "--failonwarnings"});
            System.out.println("EPUBCHECK-RESULT " + code + " " + book);
            failed += code == 0 ? 0 : 1;
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
