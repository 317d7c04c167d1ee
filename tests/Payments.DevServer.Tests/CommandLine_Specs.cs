using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Tests;

public class CommandLine_Specs
{
    [Fact]
    public void Parse_PortAlone_TestServerStyleTimeSkipping()
    {
        var options = CommandLine.Parse(["7245"]);
        Assert.Equal(7245, options.Port);
        Assert.True(options.TimeSkipping);
        Assert.Null(options.DatabaseFile);
    }

    [Fact]
    public void Parse_StartDevAsTheSdkPassesIt_ReadsKnownFlagsAndIgnoresTheRest()
    {
        var options = CommandLine.Parse(["server", "start-dev", "--port", "7300", "--namespace", "payments", "--ip", "127.0.0.1",
            "--log-format", "pretty", "--log-level", "warn", "--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true",
            "--headless", "--db-filename", "/tmp/t.db", "--search-attribute", "MerchantId=Keyword", "--search-attribute", "Amount=Int"]);
        Assert.Equal(7300, options.Port);
        Assert.Equal("payments", options.Namespace);
        Assert.Equal("/tmp/t.db", options.DatabaseFile);
        Assert.False(options.TimeSkipping);
        Assert.Null(options.UiPort);
        Assert.Equal(IndexedValueType.Keyword, options.SearchAttributes["MerchantId"]);
        Assert.Equal(IndexedValueType.Int, options.SearchAttributes["Amount"]);
    }

    [Fact]
    public void Parse_Standalone_Defaults()
    {
        var options = CommandLine.Parse([]);
        Assert.Equal(7233, options.Port);
        Assert.Equal("127.0.0.1", options.Ip);
        Assert.Equal("default", options.Namespace);
        Assert.Equal(8233, options.UiPort);
    }

    [Fact]
    public void Parse_Headless_ServesNoUi()
    {
        Assert.Null(CommandLine.Parse(["--headless", "--ui-port", "9000"]).UiPort);
        Assert.Equal(9000, CommandLine.Parse(["--ui-port", "9000"]).UiPort);
        Assert.Null(CommandLine.Parse(["7245"]).UiPort);
    }

    [Fact]
    public void Parse_UnknownSearchAttributeType_Throws() =>
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--search-attribute", "X=Nope"]));
}
