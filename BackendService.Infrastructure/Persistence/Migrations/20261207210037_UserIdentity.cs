using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackendService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UserIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "identity_issuer",
                table: "users",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "identity_subject",
                table: "users",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.CreateIndex(
                name: "ux_users_identity",
                table: "users",
                columns: new[] { "identity_issuer", "identity_subject" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_users_identity",
                table: "users");

            migrationBuilder.DropColumn(
                name: "identity_issuer",
                table: "users");

            migrationBuilder.DropColumn(
                name: "identity_subject",
                table: "users");
        }
    }
}
