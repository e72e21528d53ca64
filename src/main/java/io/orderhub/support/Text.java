package io.orderhub.support;

/** Small text helpers shared by the stores. */
public final class Text {

    /** Length of the database's reason and detail columns. */
    public static final int COLUMN = 4000;

    private Text() {
    }

    /** The text cut to {@code max} characters, marked with "..." when cut; null stays null. */
    public static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - 3) + "...";
    }
}
