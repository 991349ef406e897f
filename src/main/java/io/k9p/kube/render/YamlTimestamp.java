package io.k9p.kube.render;

import java.time.YearMonth;

/**
 * Whether goyaml.v2 reads a plain scalar as a timestamp (resolve.go, parseTimestamp): whether Go's time.Parse
 * accepts it in one of the layouts "2006-1-2T15:4:5.999999999Z07:00", the same with a lower-case t,
 * "2006-1-2 15:4:5.999999999" and "2006-1-2". Such strings have to be quoted.
 */
final class YamlTimestamp {
    private final String s;
    private int at;

    private YamlTimestamp(String s) {
        this.s = s;
    }

    static boolean matches(String s) {
        int digits = 0;
        while (digits < s.length() && isDigit(s.charAt(digits))) {
            digits++;
        }
        if (digits != 4 || digits == s.length() || s.charAt(digits) != '-') {
            return false;
        }
        return new YamlTimestamp(s).dateTime('T', true) || new YamlTimestamp(s).dateTime('t', true)
                || new YamlTimestamp(s).dateTime(' ', false) || new YamlTimestamp(s).date(true);
    }

    /** "2006-1-2": a four-digit year, a one- or two-digit month and day, validated together as Go does. */
    private boolean date(boolean whole) {
        int year = Integer.parseInt(s.substring(0, 4));
        at = 4;
        if (!literal('-')) {
            return false;
        }
        int month = number();
        if (month < 1 || month > 12 || !literal('-')) {
            return false;
        }
        int day = number();
        return day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth() && (!whole || at == s.length());
    }

    private boolean dateTime(char separator, boolean zone) {
        if (!date(false)) {
            return false;
        }
        if (separator == ' ') {
            // time.Parse's skip takes a run of spaces in the layout to match any run of spaces, but not none.
            if (at == s.length() || s.charAt(at) != ' ') {
                return false;
            }
            while (at < s.length() && s.charAt(at) == ' ') {
                at++;
            }
        } else if (!literal(separator)) {
            return false;
        }
        int hour = number();
        if (hour < 0 || hour > 23 || !literal(':')) {
            return false;
        }
        int minute = number();
        if (minute < 0 || minute > 59 || !literal(':')) {
            return false;
        }
        int second = number();
        if (second < 0 || second > 59) {
            return false;
        }
        // .999999999 takes a period or a comma followed by any number of digits, or nothing.
        if (at + 1 < s.length() && (s.charAt(at) == '.' || s.charAt(at) == ',') && isDigit(s.charAt(at + 1))) {
            at += 2;
            while (at < s.length() && isDigit(s.charAt(at))) {
                at++;
            }
        }
        return (!zone || zone()) && at == s.length();
    }

    /** Z07:00: Z, or a sign and hh:mm, where Go allows offsets up to 24 hours and 60 minutes. */
    private boolean zone() {
        if (at < s.length() && s.charAt(at) == 'Z') {
            at++;
            return true;
        }
        if (s.length() - at < 6 || s.charAt(at + 3) != ':') {
            return false;
        }
        char sign = s.charAt(at);
        int hours = twoDigits(at + 1);
        int minutes = twoDigits(at + 4);
        at += 6;
        return (sign == '+' || sign == '-') && hours >= 0 && hours <= 24 && minutes >= 0 && minutes <= 60;
    }

    /** Go's getnum(value, false): one or two digits, or -1. */
    private int number() {
        if (at >= s.length() || !isDigit(s.charAt(at))) {
            return -1;
        }
        int value = s.charAt(at++) - '0';
        if (at < s.length() && isDigit(s.charAt(at))) {
            value = value * 10 + s.charAt(at++) - '0';
        }
        return value;
    }

    private int twoDigits(int i) {
        return isDigit(s.charAt(i)) && isDigit(s.charAt(i + 1)) ? (s.charAt(i) - '0') * 10 + s.charAt(i + 1) - '0' : -1;
    }

    private boolean literal(char c) {
        if (at < s.length() && s.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
